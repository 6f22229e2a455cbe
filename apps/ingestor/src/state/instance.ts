import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/** This process, as other instances see it in the shared items (lease holder, who paused a provider). */
export const INSTANCE_ID = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
