/**
 * The model layer: `Model`, fields, relations, managers and QuerySets, `Q`
 * and `F`, the app registry and the deletion errors.
 */
export {
  Model,
  ModelRoot,
  RelationNotLoaded,
  type ModelBase,
  type ModelClass,
  type SaveOptions,
} from './base.js';
export { Manager } from './manager.js';
export { RawQuerySet } from './raw.js';
export { QuerySet, type Lookups } from './queryset.js';
export { RelatedManager, ManyRelatedManager } from './related-managers.js';
export {
  Q,
  QNode,
  F,
  FieldRef,
  Value,
  Expression,
  CombinedExpression,
  OrderBy,
  Func,
  toExpression,
  type ExpressionArg,
  type FuncOptions,
  type ResolveOptions,
} from './expressions.js';
export type { ResolvedExpr, ResolvedNode, ExpressionCompiler } from './sql/query.js';
export { apps, Apps, LookupError } from './registry.js';
export { Options, type MetaOptions, type IndexOptions, type ConstraintOptions } from './options.js';
export { ProtectedError, RestrictedError, Collector } from './deletion.js';
export {
  Lookup,
  Transform,
  registerLookup,
  unregisterLookup,
  EmptyResultSet,
  type LookupContext,
} from './lookups.js';
export { createModelTables, dropModelTables, tableDefFor, columnDefFor } from './schema.js';
export { ModelState, DeferredFieldNotLoaded } from './hydrate.js';
export type { CreateInput, InstanceOf, FieldsSpec, Unloaded, ValueOf } from './types.js';
export { Field, type FieldOptions, type Choice } from './fields/field.js';
export {
  CharField,
  TextField,
  EmailField,
  URLField,
  SlugField,
  type CharFieldOptions,
} from './fields/text.js';
export {
  AutoField,
  BigAutoField,
  SmallAutoField,
  IntegerField,
  BigIntegerField,
  SmallIntegerField,
  PositiveIntegerField,
  PositiveBigIntegerField,
  PositiveSmallIntegerField,
  FloatField,
  DecimalField,
  quantizeDecimal,
  type DecimalFieldOptions,
} from './fields/numeric.js';
export { BooleanField, UUIDField, JSONField, BinaryField, uuid4 } from './fields/misc.js';
export {
  DateField,
  DateTimeField,
  TimeField,
  DurationField,
  now,
  setClock,
  todayUtc,
  type DateFieldOptions,
} from './fields/temporal.js';
export {
  ForeignKey,
  OneToOneField,
  ManyToManyField,
  CASCADE,
  PROTECT,
  RESTRICT,
  SET_NULL,
  SET_DEFAULT,
  DO_NOTHING,
  SET,
  type OnDelete,
  type ForeignKeyOptions,
  type ManyToManyOptions,
} from './fields/related.js';
export {
  preSave,
  postSave,
  preDelete,
  postDelete,
  m2mChanged,
  preMigrate,
  postMigrate,
  type PreSaveArgs,
  type PostSaveArgs,
  type DeleteArgs,
  type M2MChangedArgs,
  type M2MAction,
  type MigrateArgs,
} from './signals.js';
export type {
  InvalidLookup,
  CustomLookups,
  LookupKind,
  ResolveLookup,
  LookupValue,
  CheckedLookups,
  CreateInputOf,
  UpdateInputOf,
  DefaultsOf,
  CheckedValues,
} from './lookup-types.js';
export { checkModels } from './checks.js';
export { Prefetch, prefetchRelatedObjects, type PrefetchLookup } from './prefetch.js';
export {
  Aggregate,
  Count,
  Sum,
  Avg,
  Min,
  Max,
  StdDev,
  Variance,
  CountAggregate,
  SumAggregate,
  AvgAggregate,
  MinAggregate,
  MaxAggregate,
  StdDevAggregate,
  VarianceAggregate,
  type AggregateOptions,
} from './aggregates.js';
export type { AnnotationValues, DefaultAliasValues, ExpressionValue } from './annotation-types.js';
export { withFetchMode, FetchModeError, NPlusOneError, type FetchMode } from './fetch-modes.js';
export * from './functions/index.js';
export { Subquery, Exists, OuterRef } from './subqueries.js';
export { Case, When } from './conditional.js';
