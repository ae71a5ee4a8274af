/**
 * Column types as the domain wants them, set per pool rather than on pg's global registry so that
 * nothing else in the process changes behaviour: INT8 (money in minor units, counts) as bigint, never
 * a lossy number; NUMERIC and DATE as the exact strings the server sent.
 */
import pg from 'pg';

const oidInt8 = 20;
const oidNumeric = 1700;
const oidDate = 1082;

const identity = (value: string): string => value;
const toBigInt = (value: string): bigint => BigInt(value);

export const typeParsers: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === oidInt8) return toBigInt;
    if (oid === oidNumeric || oid === oidDate) return identity;
    return pg.types.getTypeParser(oid, format);
  }) as pg.CustomTypesConfig['getTypeParser'],
};
