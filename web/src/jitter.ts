/** A delay between min and max ms, random, so a crowd of pages retrying or polling does not do it in step. */
export const jittered = (min: number, max: number): number => min + Math.random() * (max - min);
