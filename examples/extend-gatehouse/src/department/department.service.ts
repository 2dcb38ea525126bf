import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Department } from './department.entity';

@Injectable()
export class DepartmentService {
  constructor(@InjectRepository(Department) private readonly departments: Repository<Department>) {}

  async of(userId: number): Promise<string | null> {
    return (await this.departments.findOneBy({ userId }))?.name ?? null;
  }

  async set(userId: number, name: string): Promise<void> {
    await this.departments.upsert({ userId, name }, ['userId']);
  }
}
