import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';

import { PageQuery } from '../../common/pagination/page-query.dto';
import { IsTimestamp } from '../../common/validation/is-timestamp.decorator';

export class ListConversationsQuery extends PageQuery {
  @IsOptional()
  @IsString()
  @MaxLength(32)
  @Matches(/^[0-9+().\s-]+$/, { message: 'phone must contain only digits, spaces and + ( ) . -' })
  phone?: string;

  @IsOptional()
  @IsTimestamp()
  createdFrom?: Date;

  @IsOptional()
  @IsTimestamp()
  createdTo?: Date;
}
