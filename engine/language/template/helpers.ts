/** The closed helper set lives with the language (engine/language/expression/helpers/). */
export { HELPER_NAMES, truthy } from "../expression";
