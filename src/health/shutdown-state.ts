import { Injectable } from '@nestjs/common';

/** Set once SIGTERM arrives, so readiness turns 503 while in-flight work drains. */
@Injectable()
export class ShutdownState {
  private draining = false;

  startDraining(): void {
    this.draining = true;
  }

  isDraining(): boolean {
    return this.draining;
  }
}
