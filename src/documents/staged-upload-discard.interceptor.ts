import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { catchError, from, mergeMap, throwError, type Observable } from 'rxjs';
import type { UploadedDocument } from './staging-storage.js';

/**
 * Discards the staged file of an upload that fails before the service has
 * taken charge of it: a body the validation pipe refuses, or a path id that
 * is not one. The service discards it on its own refusals; discarding twice
 * is harmless.
 */
@Injectable()
export class StagedUploadDiscard implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<{ file?: Partial<UploadedDocument> }>();
    return next.handle().pipe(
      catchError((error: unknown) =>
        from(request.file?.staged?.discard() ?? Promise.resolve()).pipe(mergeMap(() => throwError(() => error))),
      ),
    );
  }
}
