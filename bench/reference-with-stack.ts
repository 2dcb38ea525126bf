/**
 * The reference (bench/reference-server.ts) with the packages the design card
 * and the standards require of any service on this stack loaded beside it and
 * left idle: persistence (TypeORM, its Nest module, SQLite's driver), validation
 * (class-validator, class-transformer), the Swagger document's decorators,
 * JwtService, passport-local and argon2id. Nothing here runs per request, so
 * this row's distance from the reference is what the stack costs before any of
 * Gatehouse's own code: the floor under Gatehouse's ratios.
 */
import { setFlagsFromString } from 'node:v8';
// As in the reference and src/runtime.ts: before any package loads.
setFlagsFromString('--no-allocation-site-pretenuring');

import 'typeorm';
import '@nestjs/typeorm';
import 'better-sqlite3';
import 'class-validator';
import 'class-transformer';
import '@nestjs/swagger';
import '@nestjs/jwt';
import 'passport-local';
import '@node-rs/argon2';
import './reference-server';
