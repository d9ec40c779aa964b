import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { installTemporalRuntime } from './temporal-runtime.js';

export interface TemporalConnections {
  client: Client;
  /** For workers (Rust core); the client uses its own gRPC connection. */
  native: NativeConnection;
  close(): Promise<void>;
}

/** Connects client and workers to one Temporal frontend; retries while a fresh server boots. */
export async function connectTemporal(address: string, namespace: string): Promise<TemporalConnections> {
  installTemporalRuntime();
  let lastError: unknown;
  for (let i = 0; i < 30; i++) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: '5s' });
      const native = await NativeConnection.connect({ address });
      const client = new Client({ connection, namespace });
      return {
        client,
        native,
        close: async () => {
          await native.close();
          await connection.close();
        },
      };
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }
  throw new Error(`cannot reach Temporal at ${address} (namespace ${namespace}): ${(lastError as Error)?.message}. Check TEMPORAL_ADDRESS or start a server.`);
}
