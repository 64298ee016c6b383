/** The closed helper set lives with the language (engine/language/expression/helpers.ts). */
export { HELPER_NAMES, truthy } from "../expression";
