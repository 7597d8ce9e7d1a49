import { Module } from '@nestjs/common';
import { AccountsRepository } from '../accounts/accounts.repository';
import { AccountsService } from '../accounts/accounts.service';
import { RegistryService } from './registry.service';
import { SeedService } from './seed.service';
import { UnitsRepository } from './units.repository';

/** The organization registry and accounts (users belong to units, so they live together). */
@Module({
  providers: [UnitsRepository, RegistryService, SeedService, AccountsRepository, AccountsService],
  exports: [UnitsRepository, RegistryService, SeedService, AccountsService],
})
export class OrganizationsModule {}
