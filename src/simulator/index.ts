/** The simulated gateway: a home of devices, an in-process connection to it, and a gateway-shaped server. */
export { SimulatedHome } from './SimulatedHome';
export type { PropertySpec, ThingSpec } from './SimulatedHome';
export type { ActionRecord, HomeEvents } from './HomeEvents';
export { SimulatorError } from './SimulatorError';
export type { SimulatorErrorCode } from './SimulatorError';
export { validateValue } from '../protocol/validateValue';
export { seedHome, seedThings, simulatedId } from './seedHome';
export { gatewayDescription } from './gatewayDescription';
export { LocalGateway } from './LocalGateway';
export { SimulatorServer } from './SimulatorServer';
export type { SimulatorServerOptions } from './SimulatorServer';
export { Demo } from './Demo';
export type { DemoOptions } from './Demo';
