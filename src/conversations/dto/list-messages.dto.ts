import { PageQuery } from '../../common/pagination/page-query.dto';

export class ListMessagesQuery extends PageQuery {}
