/** The clock seam: real and virtual clocks, and readable durations. */
export * from './Clock';
export { RealClock } from './RealClock';
export { VirtualClock } from './VirtualClock';
export { parseDuration, formatDuration, describeDuration } from './duration';
