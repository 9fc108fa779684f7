// `npm run server -- office add|list|enroll|revoke-desk|revoke|districts …`: the utility's offices and
// their desks from the service's host (see USAGE). A command module of cli.ts.
import { createEnrolment, listDesks, revokeDesk } from './desks';
import { addOffice, listOffices, parseDistrictList, revokeOffice, setOfficeDistricts } from './office-admin';
import { dataDirOf, fail, openDb } from './cli-common';

export async function office(
  args: string[],
  values: { data?: string; schema?: string; name?: string; districts?: string },
): Promise<number> {
  const [action, ...rest] = args;
  const dataDir = dataDirOf(values.data);
  const need = (n: number, usage: string) => {
    if (rest.length !== n) fail(`office ${action} takes ${usage}`);
  };
  if (action === 'add') need(0, '--name NAME [--districts 1,2]');
  else if (action === 'list') need(0, 'nothing more');
  else if (action === 'enroll') need(1, 'the office key');
  else if (action === 'revoke-desk') need(1, 'the desk id (as office list shows it)');
  else if (action === 'revoke') need(1, 'the office key');
  else if (action === 'districts') need(2, 'the office key and the districts (1,3 or all)');
  else fail(`Unknown office command: ${action ?? ''}`);
  if (action === 'add' && !values.name) fail('office add needs --name NAME');
  const districtIds =
    action === 'add'
      ? values.districts
        ? parseDistrictList(values.districts)
        : null
      : action === 'districts'
        ? parseDistrictList(rest[1]!)
        : null;
  const db = await openDb(dataDir, values.schema);
  try {
    const show = (o: { id: number; name: string; districtIds: number[] | null }) =>
      `#${o.id} ${o.name} · districts ${o.districtIds?.join(',') ?? 'all'}`;
    if (action === 'add') {
      const { office: made, key } = await addOffice(db, { name: values.name!, districtIds });
      process.stdout.write(`Office ${show(made)}. Its key (shown once; the service keeps only its hash):\n${key}\n`);
    } else if (action === 'list') {
      const offices = await listOffices(db);
      if (!offices.length)
        process.stdout.write('No offices yet: npm run server -- office add --name NAME --districts 1,2\n');
      for (const o of offices) {
        process.stdout.write(
          `${show(o)} · key ${o.keyHint}… · desks ${o.desks} · since ${o.createdAt.slice(0, 10)}${o.revokedAt ? ` · REVOKED ${o.revokedAt.slice(0, 16)}` : ''}\n`,
        );
        for (const d of await listDesks(db, o.id)) {
          process.stdout.write(
            `  desk ${d.clientId}${d.label ? ` «${d.label}»` : ''} · ${d.enrolled ? 'enrolled' : 'by key'} ${d.registeredAt.slice(0, 16)} · seen ${d.seenAt?.slice(0, 16) ?? 'never'}${d.revokedAt ? ` · REVOKED ${d.revokedAt.slice(0, 16)}` : ''}\n`,
          );
        }
      }
    } else if (action === 'enroll') {
      const made = await createEnrolment(db, rest[0]!);
      process.stdout.write(
        `Enrolment code for one desk of ${show(made.office)}, valid until ${made.expiresAt.slice(0, 16)}Z, used once:\n${made.code}\n`,
      );
    } else if (action === 'revoke-desk') {
      const desk = await revokeDesk(db, rest[0]!);
      process.stdout.write(
        `Revoked desk ${desk.clientId}${desk.label ? ` «${desk.label}»` : ''}: it is refused from its next request.\n`,
      );
    } else if (action === 'revoke') {
      process.stdout.write(
        `Revoked: ${show(await revokeOffice(db, rest[0]!))}. Its desks are refused from their next request.\n`,
      );
    } else {
      process.stdout.write(
        `Now: ${show(await setOfficeDistricts(db, rest[0]!, districtIds))}. Its desks pull their office anew at their next sync.\n`,
      );
    }
    return 0;
  } finally {
    await db.close();
  }
}
