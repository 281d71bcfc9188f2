import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';
import { NewPassword } from '../password-policy.js';
import { trim } from '../../common/input-transforms.js';

export class RegisterDto {
  @ApiProperty({ example: 'Blue Room Studios', minLength: 1, maxLength: 200 })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  studioName: string;

  @ApiProperty({ example: 'Ada Lovelace', minLength: 1, maxLength: 200 })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiProperty({ format: 'email', example: 'ada@blueroom.test', maxLength: 320 })
  @IsEmail()
  @MaxLength(320)
  email: string;

  @NewPassword()
  password: string;
}
