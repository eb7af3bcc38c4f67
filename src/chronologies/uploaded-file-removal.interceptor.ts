import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { rm } from 'node:fs/promises';
import { defer, lastValueFrom, type Observable } from 'rxjs';

/**
 * Removes the temporary file multer wrote, however the request ends: also
 * when a pipe refuses the body before the handler runs. The file is gone
 * before the answer is sent, so no answer leaves an upload behind it.
 */
@Injectable()
export class UploadedFileRemoval implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<{ file?: { path?: string } }>();
    return defer(async () => {
      try {
        return await lastValueFrom(next.handle());
      } finally {
        const path = request.file?.path;
        if (path) await rm(path, { force: true });
      }
    });
  }
}
