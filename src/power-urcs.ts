// The SIM900's own lines about its power and boot (SIM900 Hardware Design; the email manual has none
// of them): the core's modem.ts and the power companion listen for the same ones.
export var RDY = "RDY";
export var CALL_READY = "Call Ready";
export var NORMAL_POWER_DOWN = "NORMAL POWER DOWN";
export var UNDER_VOLTAGE_POWER_DOWN = "UNDER-VOLTAGE POWER DOWN";
export var OVER_VOLTAGE_POWER_DOWN = "OVER-VOLTAGE POWER DOWN";
/** Also matches the manuals' "WARNNING" spelling (a line prefix). */
export var UNDER_VOLTAGE_WARN = "UNDER-VOLTAGE WARN";
export var OVER_VOLTAGE_WARN = "OVER-VOLTAGE WARN";
