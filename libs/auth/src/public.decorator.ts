import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'darvazeh:isPublic';

/** Opens a route (or every route of a controller) to callers without a token. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
