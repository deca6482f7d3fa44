import type { Platform } from '../../lib';
import { RuntimeStackValidationError } from '../../lib/core/problems';

/** The aggregated validation error `platform.render()` throws; fails when it throws none or another error. */
export function validationErrorOf(platform: Platform): RuntimeStackValidationError {
  try {
    platform.render();
  } catch (e) {
    if (e instanceof RuntimeStackValidationError) return e;
    throw e;
  }
  throw new Error('expected a validation error');
}
