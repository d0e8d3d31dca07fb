// Where each workspace's installation (its bot token) is kept when any workspace may install the
// app: in Redis, sealed with AES-256-GCM under a key from the settings (SLACK_INSTALLATION_KEY), so a
// copy of the database is no copy of the tokens; in memory for local use (Bolt's own store). It is
// the InstallationStore that Bolt's installer (@slack/oauth) reads and writes.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';

/** An org-wide (Enterprise Grid) install answers for every workspace of the org; otherwise one workspace. */
export function installationId(query: Pick<InstallationQuery<boolean>, 'isEnterpriseInstall' | 'enterpriseId' | 'teamId'>): string {
  if (query.isEnterpriseInstall && query.enterpriseId) return `E:${query.enterpriseId}`;
  if (query.teamId) return `T:${query.teamId}`;
  throw new Error('an installation query names neither a workspace nor an org');
}

export class RedisInstallationStore implements InstallationStore {
  private readonly key: Buffer;

  constructor(
    private readonly redis: Redis | Cluster,
    installationKey: string,
    private readonly prefix = 'coach',
  ) {
    this.key = Buffer.from(installationKey, 'base64');
    if (this.key.length !== 32) throw new Error('the installation key must be 32 bytes, in base64');
  }

  async storeInstallation(installation: Installation): Promise<void> {
    const id = installationId({ isEnterpriseInstall: Boolean(installation.isEnterpriseInstall), enterpriseId: installation.enterprise?.id, teamId: installation.team?.id });
    await this.redis.set(this.redisKey(id), this.seal(id, JSON.stringify(installation)));
  }

  async fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation<'v1' | 'v2', boolean>> {
    const id = installationId(query);
    const sealed = await this.redis.get(this.redisKey(id));
    if (sealed === null) throw new Error('no installation for this workspace');
    return JSON.parse(this.open(id, sealed)) as Installation<'v1' | 'v2', boolean>;
  }

  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    await this.redis.del(this.redisKey(installationId(query)));
  }

  /** The Redis key of one installation (for tests and erasure counts). */
  redisKey(id: string): string {
    return `${this.prefix}:slack-installation:${id}`;
  }

  // iv.tag.ciphertext, each base64; the installation's id is the additional data, so a sealed
  // installation moved under another workspace's key does not open.
  private seal(id: string, plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv).setAAD(Buffer.from(id));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [iv, cipher.getAuthTag(), body].map((part) => part.toString('base64')).join('.');
  }

  private open(id: string, sealed: string): string {
    const [iv, tag, body] = sealed.split('.').map((part) => Buffer.from(part, 'base64'));
    if (!iv || !tag || !body) throw new Error('a stored installation is not in the sealed form');
    const decipher = createDecipheriv('aes-256-gcm', this.key, iv).setAAD(Buffer.from(id)).setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
  }
}
