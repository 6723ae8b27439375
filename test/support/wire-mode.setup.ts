// Runs the database specs through a real PostgreSQL wire connection (PGlite served on a loopback port).
process.env.KAKEHASHI_TEST_DB = 'wire';
