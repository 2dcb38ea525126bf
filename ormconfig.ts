import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { readDotEnv } from './src/config/dotenv';
import { loadConfig } from './src/config/load-config';
import { dataSourceOptions } from './src/database/data-source-options';
import { gatehouseEntities } from './src/gatehouse/entities';

readDotEnv();

/**
 * The DataSource for the TypeORM CLI (`npm run migration:run`, `npm run typeorm -- …`),
 * built from the same validated settings as the app. The CLI runs the migrations itself.
 */
export default new DataSource({
  ...dataSourceOptions(loadConfig(), { entities: gatehouseEntities }),
  migrationsRun: false,
});
