import { Module } from '@nestjs/common';
import { CompaniesModule } from '../companies/companies.module';
import { SeedService } from './seed.service';

@Module({ imports: [CompaniesModule], providers: [SeedService], exports: [SeedService] })
export class SeedingModule {}
