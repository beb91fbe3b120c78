/**
 * A device of ours whose events reach the gateway only once the user has added it (Things page,
 * "+"): the gateway has no thing for the others, and logs "Received event for unknown thing" for
 * every event they send.
 */
import { Adapter, Device, Event } from 'gateway-addon';

/** The adapter's record of the things the gateway has saved (gateway-addon's handleDeviceSaved). */
export interface SavedDevices {
  isSaved(deviceId: string): boolean;
}

export abstract class SavedDevice extends Device {
  constructor(
    private readonly saved: Adapter & SavedDevices,
    id: string
  ) {
    super(saved, id);
  }

  override eventNotify(event: Event): void {
    if (this.saved.isSaved(this.getId())) super.eventNotify(event);
  }
}
