/**
 * The module of every field type. The mapped type makes a type without a module a compile error,
 * so adding a type is one module plus one line here.
 */
import type { FieldType } from './model.js';
import type { FieldTypeModule } from './type-module.js';
import { chainedListModule } from './types/chained-list.js';
import { checkboxModule } from './types/checkbox.js';
import { datesModule } from './types/dates.js';
import { enumeratedModule } from './types/enumerated.js';
import { multitextModule } from './types/multitext.js';
import { numericModule } from './types/numeric.js';
import { smartAddressModule } from './types/smart-address.js';
import { structuredModule } from './types/structured.js';
import { textModule } from './types/text.js';
import { urlModule } from './types/url.js';

const MODULES: { readonly [T in FieldType]: FieldTypeModule<T> } = {
  text: textModule,
  textarea: textModule,
  streetaddress: textModule,
  tracking_data: textModule,
  numeric: numericModule,
  monetary: numericModule,
  price: numericModule,
  checkbox: checkboxModule,
  select: enumeratedModule,
  multiselect: enumeratedModule,
  radiobutton: enumeratedModule,
  category: enumeratedModule,
  multitext: multitextModule,
  date: datesModule,
  date_time: datesModule,
  birthday: datesModule,
  url: urlModule,
  smart_address: smartAddressModule,
  legal_entity: structuredModule,
  file: structuredModule,
  linked_entity: structuredModule,
  items: structuredModule,
  chained_list: chainedListModule,
};

/**
 * The module for `type`. TypeScript cannot tie the key to the entry of a mapped type when the key
 * is a union, so the widening is asserted here, once; the mapped type above is what guarantees it.
 */
export function fieldTypeModule(type: FieldType): FieldTypeModule<FieldType> {
  return MODULES[type] as FieldTypeModule<FieldType>;
}
