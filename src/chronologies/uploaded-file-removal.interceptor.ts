import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { rm } from 'node:fs/promises';
import { finalize, type Observable } from 'rxjs';

/**
 * Removes the temporary file multer wrote, however the request ends: also
 * when a pipe refuses the body before the handler runs.
 */
@Injectable()
export class UploadedFileRemoval implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<{ file?: { path?: string } }>();
    return next.handle().pipe(
      finalize(() => {
        const path = request.file?.path;
        if (path) void rm(path, { force: true }).catch(() => undefined);
      }),
    );
  }
}
