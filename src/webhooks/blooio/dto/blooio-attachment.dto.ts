import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** An attachment in object form; Blooio also sends attachments as bare URL strings. */
export class BlooioAttachmentDto {
  @ApiProperty({ example: 'https://cdn.blooio.com/a/photo.jpg' })
  url: string;

  @ApiPropertyOptional({ example: 'photo.jpg' })
  name?: string;
}
