import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { DOCUMENT_KINDS, type CaseDocument, type DocumentKind } from './case-document.entity.js';

/** The form fields beside the file of a multipart upload. */
export class UploadDocumentRequest {
  @ApiProperty({ enum: DOCUMENT_KINDS }) @IsIn(DOCUMENT_KINDS) kind: DocumentKind;
  @ApiPropertyOptional({ format: 'uuid', description: 'Required for an IMR: the agency it is from' }) @IsOptional() @IsUUID() agencyId?: string;
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'This version is the one that counts' })
  @IsOptional()
  @IsIn(['true', 'false'])
  final?: 'true' | 'false';
}

/** A document's metadata: never its original name, which can name people. */
export class DocumentView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ enum: DOCUMENT_KINDS }) kind: DocumentKind;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) agencyId: string | null;
  @ApiProperty() version: number;
  @ApiProperty() final: boolean;
  @ApiProperty() contentType: string;
  @ApiProperty() sizeBytes: number;
  @ApiProperty() sha256: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) uploadedBy: string | null;
  @ApiProperty() uploadedAt: string;
}

export function toDocumentView(d: CaseDocument): DocumentView {
  return {
    id: d.id,
    caseId: d.caseId,
    kind: d.kind,
    agencyId: d.agencyId,
    version: d.version,
    final: d.final,
    contentType: d.contentType,
    sizeBytes: Number(d.sizeBytes),
    sha256: d.sha256,
    uploadedBy: d.uploadedBy,
    uploadedAt: d.uploadedAt.toISOString(),
  };
}

export class DocumentList {
  @ApiProperty({ type: [DocumentView] }) items: DocumentView[];
}
