import { Module } from '@nestjs/common';
import { CompaniesController } from './companies.controller';
import { CompaniesService } from './companies.service';
import { CompanyImportService } from './company-import.service';
import { CompanyRepository } from './company.repository';

@Module({
  controllers: [CompaniesController],
  providers: [CompanyRepository, CompaniesService, CompanyImportService],
  exports: [CompanyRepository, CompaniesService, CompanyImportService],
})
export class CompaniesModule {}
