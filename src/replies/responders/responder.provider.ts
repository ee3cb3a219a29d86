import type { Provider } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';

import { APP_CONFIG } from '../../config/app-config';
import type { AppConfig } from '../../config/app-config';
import { OpenAiResponder } from './openai-responder';
import { RESPONDER } from './responder';
import type { Responder } from './responder';
import { TemplateResponder } from './template-responder';

/** Chooses the responder from REPLY_RESPONDER; loadConfig guarantees the LLM settings for openai. */
export const responderProvider: Provider = {
  provide: RESPONDER,
  inject: [APP_CONFIG, PinoLogger],
  useFactory: (config: AppConfig, logger: PinoLogger): Responder => {
    if (config.replies.responder === 'openai' && config.llm) {
      logger.setContext(OpenAiResponder.name);

      return new OpenAiResponder(config.llm, logger);
    }

    return new TemplateResponder();
  },
};
