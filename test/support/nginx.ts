import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/**
 * A real nginx (Debian's package) in front of app servers, for the failover test (docs/decisions/0047):
 * its own prefix folder, configuration, error log, pid file and port on 127.0.0.1, never the machine's
 * /etc/nginx nor its service. `daemon off`: the process is this test's child, stopped by `stop()`.
 */
export const NGINX = process.env.NGINX_BINARY ?? '/usr/sbin/nginx';

/**
 * The proxy's part of the configuration: round robin over the app servers, no sticky sessions (a session
 * lives in the database, any server serves any request), the X-Forwarded-* headers and nginx's request
 * id passed on, and a dead server skipped: a refused or failed connection (and a 502/503) sends the
 * request to the next server, a server that failed is left aside for `failTimeoutSeconds`.
 * docs/nginx.example.conf holds the same block for production.
 */
export function proxyBlock(upstreams: string[], failTimeoutSeconds = 10): string {
  return `
  upstream maillage {
${upstreams.map((u) => `    server ${u} max_fails=1 fail_timeout=${failTimeoutSeconds}s;`).join('\n')}
    keepalive 16;
  }
  proxy_http_version 1.1;
  proxy_set_header Connection "";
  proxy_set_header Host $host;
  proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
  proxy_set_header X-Forwarded-Proto $scheme;
  proxy_set_header X-Forwarded-Host $host;
  proxy_set_header X-Request-Id $request_id;
  proxy_connect_timeout 2s;
  proxy_next_upstream error timeout http_502 http_503;
  proxy_next_upstream_tries 3;
  proxy_next_upstream_timeout 10s;
  proxy_read_timeout 60s;
  proxy_send_timeout 60s;
  client_max_body_size 210m;
`;
}

export interface Nginx {
  url: string;
  port: number;
  dir: string;
  child: ChildProcess;
  errorLog(): string;
  /** Stops nginx (SIGQUIT, then SIGKILL after 5 s); safe to call twice. */
  stop(): Promise<void>;
}

async function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

export async function startNginx(input: { dir: string; port: number; upstreams: string[] }): Promise<Nginx> {
  const { dir, port } = input;
  for (const sub of ['logs', 'temp']) fs.mkdirSync(path.join(dir, sub), { recursive: true });
  // As root, nginx's workers would switch to `nobody`, who may not write the temporary folders here.
  const user = process.getuid?.() === 0 ? 'user root root;\n' : '';
  const temp = (name: string) => path.join(dir, 'temp', name);
  const conf = `${user}daemon off;
worker_processes 1;
pid ${path.join(dir, 'nginx.pid')};
error_log ${path.join(dir, 'logs', 'error.log')} warn;
events { worker_connections 512; }
http {
  access_log off;
  client_body_temp_path ${temp('body')};
  proxy_temp_path ${temp('proxy')};
  fastcgi_temp_path ${temp('fastcgi')};
  uwsgi_temp_path ${temp('uwsgi')};
  scgi_temp_path ${temp('scgi')};
${proxyBlock(input.upstreams)}
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://maillage;
    }
  }
}
`;
  const file = path.join(dir, 'nginx.conf');
  fs.writeFileSync(file, conf);
  const child = spawn(NGINX, ['-p', dir, '-c', file, '-e', path.join(dir, 'logs', 'error.log')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const errorLog = () => {
    try {
      return fs.readFileSync(path.join(dir, 'logs', 'error.log'), 'utf8');
    } catch {
      return '';
    }
  };
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGQUIT');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline && child.exitCode === null) {
    if (await listening(port)) {
      return { url: `http://127.0.0.1:${port}`, port, dir, child, errorLog, stop };
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  await stop();
  throw new Error(`nginx did not start (exit ${child.exitCode}):\n${stderr}\n${errorLog()}`);
}
