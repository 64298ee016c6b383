export * from "./calendar";
export * from "./duration";
export * from "./parse";
export * from "./words";
export * from "./zone";
