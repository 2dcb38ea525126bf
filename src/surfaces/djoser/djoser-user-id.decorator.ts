import { createParamDecorator, type ExecutionContext, HttpStatus } from '@nestjs/common';
import type { HttpRequest } from '../../http/http-seam';
import { DRF_MESSAGES, DrfException } from '../../problems/drf.exception';

/** UserViewSet's detail=False actions: POST only, each its own URL pattern. */
const ACTIONS = new Set([
  'activation',
  'resend_activation',
  'set_password',
  'reset_password',
  'reset_password_confirm',
  'set_email',
  'reset_email',
  'reset_email_confirm',
]);

/**
 * The `{id}` of users/{id}/. DRF's router lists the actions' patterns before the
 * detail one and Django resolves a path whatever its method, so `GET
 * users/set_password/` is that action's 405, never the detail route's 404.
 * Read after the guard: DRF authenticates before it looks at the method.
 */
export const DjoserUserId = createParamDecorator(
  (_data: unknown, context: ExecutionContext): string => {
    const request = context
      .switchToHttp()
      .getRequest<HttpRequest & { params?: Record<string, string> }>();
    const id = request.params?.id ?? '';
    if (ACTIONS.has(id)) {
      throw DrfException.detail(
        HttpStatus.METHOD_NOT_ALLOWED,
        DRF_MESSAGES.methodNotAllowed(request.method),
        undefined,
        { Allow: 'POST, OPTIONS' },
      );
    }
    return id;
  },
);
