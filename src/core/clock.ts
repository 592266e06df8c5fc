/** Unix time in seconds, the unit every timestamp of the domain uses. */
export type Clock = () => number;

export const systemClock: Clock = () => Math.floor(Date.now() / 1000);
