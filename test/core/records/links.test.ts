import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { changeLinks, replaceSingleLinks } from '../../../src/core/records/links.js';
import { createRecords } from '../../../src/core/records/write.js';
import type { EntityType } from '../../../src/core/fields/model.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { useCaseContext } from '../../support/use-case.js';

let test: TestApp;
beforeEach(async () => {
  test = await startTestApp();
});
afterEach(() => test.close());

const context = () => useCaseContext(test);

async function add(entityType: EntityType, name: string): Promise<number> {
  const [written] = await createRecords(context(), entityType, [{ name }]);
  return written!.record.id;
}

describe('link use cases', () => {
  it('replaces a contact\'s company when a company links the contact from its side', async () => {
    const contact = await add('contacts', 'Ann');
    const [oldCompany, newCompany] = [await add('companies', 'Old'), await add('companies', 'New')];
    await changeLinks(context(), 'contacts', [{ entityId: contact, toEntityType: 'companies', toEntityId: oldCompany, metadata: {} }], 'link');
    await changeLinks(context(), 'companies', [{ entityId: newCompany, toEntityType: 'contacts', toEntityId: contact, metadata: {} }], 'link');
    const links = await test.store.repos.links.ofRecords(1, [contact]);
    expect(links.map((link) => link.toEntityId)).toEqual([newCompany]);
  });

  it('keeps every contact of a lead: only companies are single', async () => {
    const lead = await add('leads', 'Deal');
    const [ann, bob] = [await add('contacts', 'Ann'), await add('contacts', 'Bob')];
    await changeLinks(context(), 'leads', [{ entityId: lead, toEntityType: 'contacts', toEntityId: ann, metadata: {} }], 'link');
    await changeLinks(context(), 'leads', [{ entityId: lead, toEntityType: 'contacts', toEntityId: bob, metadata: {} }], 'link');
    expect((await test.store.repos.links.ofRecords(1, [lead])).map((link) => link.toEntityId)).toEqual([ann, bob]);
  });

  it('keeps one main contact per company: linking another as main makes the first plain', async () => {
    const company = await add('companies', 'Acme');
    const [ann, bob] = [await add('contacts', 'Ann'), await add('contacts', 'Bob')];
    await changeLinks(context(), 'companies', [{ entityId: company, toEntityType: 'contacts', toEntityId: ann, metadata: { isMain: true } }], 'link');
    await changeLinks(context(), 'contacts', [{ entityId: bob, toEntityType: 'companies', toEntityId: company, metadata: { isMain: true } }], 'link');
    const links = await test.store.repos.links.ofRecords(1, [company]);
    expect(links.map((link) => [link.toEntityId, link.metadata.isMain])).toEqual([
      [ann, false],
      [bob, true],
    ]);
  });

  it('keeps the metadata a second link of the same records leaves out', async () => {
    const lead = await add('leads', 'Deal');
    const ann = await add('contacts', 'Ann');
    await changeLinks(context(), 'leads', [{ entityId: lead, toEntityType: 'contacts', toEntityId: ann, metadata: { isMain: true, sort: 30 } }], 'link');
    await changeLinks(context(), 'contacts', [{ entityId: ann, toEntityType: 'leads', toEntityId: lead, metadata: { sort: 40 } }], 'link');
    const [link] = await test.store.repos.links.ofRecords(1, [lead]);
    expect(link!.metadata).toEqual({ isMain: true, sort: 40 });
  });

  it('reports the links it replaced, seen from the record that holds one company', async () => {
    const lead = await add('leads', 'Deal');
    const [oldCompany, newCompany] = [await add('companies', 'Old'), await add('companies', 'New')];
    await test.store.repos.links.add(1, [{ entityType: 'leads', entityId: lead, toEntityType: 'companies', toEntityId: oldCompany, metadata: {} }]);
    const replaced = await test.store.transaction((repos) =>
      replaceSingleLinks(repos, 1, [{ entityType: 'companies', entityId: newCompany, toEntityType: 'leads', toEntityId: lead, metadata: {} }]),
    );
    expect(replaced).toEqual([{ entityType: 'leads', entityId: lead, toEntityType: 'companies', toEntityId: oldCompany, metadata: {} }]);
  });
});

describe('links made at the same time', () => {
  it('leave a lead one main contact when several are linked as main at once', async () => {
    const lead = await add('leads', 'Deal');
    const contacts = await Promise.all(['Ann', 'Bob', 'Cid', 'Dee', 'Eve'].map((name) => add('contacts', name)));
    await Promise.all(
      contacts.map((contact) => changeLinks(context(), 'leads', [{ entityId: lead, toEntityType: 'contacts', toEntityId: contact, metadata: { isMain: true } }], 'link')),
    );
    const links = await test.store.repos.links.ofRecords(1, [lead]);
    expect(links).toHaveLength(5);
    expect(links.filter((link) => link.metadata.isMain === true)).toHaveLength(1);
  });
});
