import type { PinoLogger } from 'nestjs-pino';

import type { BlooioInboundService } from './blooio-inbound.service';
import type { BlooioStatusService } from './blooio-status.service';
import { BlooioWebhookService } from './blooio-webhook.service';

function serviceWithDebugLog(): { service: BlooioWebhookService; debug: jest.Mock } {
  const debug = jest.fn();
  const logger = { setContext: jest.fn(), debug } as unknown as PinoLogger;
  const service = new BlooioWebhookService(
    {} as BlooioInboundService,
    {} as BlooioStatusService,
    logger,
  );

  return { service, debug };
}

const webhook = {
  tenantId: 'tenant-1',
  defaultRegion: 'US',
  receivingNumber: '+14155550100',
};

describe('BlooioWebhookService', () => {
  it('hides non-identifier field names', async () => {
    const { service, debug } = serviceWithDebugLog();
    const payload = {
      event: 'chat.typing',
      message_id: 'msg_1',
      internal_id: '+14155550100',
      device_id: 7,
      '+14155552671 said hi': true,
    };

    await service.handle({ ...webhook, payload });

    expect(debug).toHaveBeenCalledWith(
      { tenantId: 'tenant-1', unknownFields: ['device_id', '[not an identifier]'] },
      'Ignored unknown webhook fields',
    );
  });

  it('hides a non-identifier event type', async () => {
    const { service, debug } = serviceWithDebugLog();
    const payload = { event: '+14155552671 hi', message_id: 'msg_1', internal_id: '+14155550100' };

    await expect(service.handle({ ...webhook, payload })).resolves.toEqual({ status: 'ignored' });
    expect(debug).toHaveBeenCalledWith(
      { tenantId: 'tenant-1', event: '[not an identifier]' },
      'Ignored webhook with an unhandled event type',
    );
  });
});
