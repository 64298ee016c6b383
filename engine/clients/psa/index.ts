/** PSA connectors: one small module per PSA behind one contract (./types). */
export { createConnectWiseConnector, type ConnectWiseOptions } from "./connectwise";
export { createAutotaskConnector, AUTOTASK_ZONE_LOOKUP_URL, type AutotaskOptions } from "./autotask";
export { createHaloConnector, type HaloOptions } from "./halopsa";
export type * from "./types";
export { PSA_KINDS } from "./types";
