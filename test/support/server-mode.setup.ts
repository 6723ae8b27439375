// Runs the specs of the server tier on a real PostgreSQL server with pgvector (one throwaway server per spec file).
process.env.KAKEHASHI_TEST_DB = 'server';
