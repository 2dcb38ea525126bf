/**
 * `@gatehouse-auth/nestjs/drf`: what a consumer's own controller under
 * `@SurfaceDialect('drf')` declares its request bodies with — DRF serializer
 * fields, answered with DRF's exact field errors — and DRF's exception shape.
 */
export {
  DrfBooleanField,
  DrfCharField,
  type DrfCharFieldOptions,
  type DrfCheck,
  DrfChoiceField,
  DrfEmailField,
  DrfField,
  type DrfFieldOptions,
  DrfPrimaryKeyField,
  DrfTextField,
} from './dialects/drf/drf-fields';
export { type DrfBody, DRF_MESSAGES, DrfException } from './problems/drf.exception';
