package io.jdrbd.sim;

/** What a trace event records; the ordinal is part of the hash, so append new kinds at the end. */
public enum TraceKind {
    STEP,
    NET_CONNECT,
    NET_CONNECTED,
    NET_REFUSED,
    NET_SEND,
    NET_DELIVER,
    NET_CLOSE,
    NET_FAULT,
    DISK_SUBMIT,
    DISK_COMPLETE,
    DISK_POWER_CUT,
    ENGINE_INPUT,
    ENGINE_OUTPUT,
    CLIENT_INVOKE,
    CLIENT_COMPLETE,
    NODE_CRASH,
    NODE_RESTART,
    ADMIN,
    STATE_EVENT,
    FAULT
}
