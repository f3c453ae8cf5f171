// Marks a request as coming from the data folder's owner: the admin socket's listener and
// in-process callers put this in the request's environment; nothing a client sends can.
import type { Context } from "hono";

const LOCAL_OPERATOR = Symbol("parley local operator");

export const localOperator = () => ({ [LOCAL_OPERATOR]: true });
export const isLocalOperator = (c: Context) => (c.env as Record<symbol, unknown> | undefined)?.[LOCAL_OPERATOR] === true;
