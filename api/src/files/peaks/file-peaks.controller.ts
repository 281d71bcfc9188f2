import { Controller, Get, Param } from '@nestjs/common';
import { ApiCookieAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../../auth/access.decorator.js';
import { ApiProblems } from '../../common/api-problems.decorator.js';
import { uuidParam } from '../../common/uuid-param.js';
import { FilePeaksDto } from './dto/file-peaks.dto.js';
import { FilePeaksService } from './file-peaks.service.js';

// Issue 10, peaks: the review player's waveform; anyone who may read the file may read its peaks.
@ApiTags('files')
@ApiCookieAuth()
@ApiProblems(401, 503)
@Controller('api/v1/files')
export class FilePeaksController {
  constructor(private readonly peaks: FilePeaksService) {}

  @Get(':id/peaks')
  @Access('viewer')
  @ApiOperation({
    summary: "Get a file's waveform peaks",
    description:
      'Computed once after the upload of a WAV, MP3 or FLAC file, in the background: `pending` until then, `failed` when the audio could not be ' +
      'decoded, `none` for other files. A file of another studio is a 404, like one that does not exist.',
  })
  @ApiOkResponse({ type: FilePeaksDto })
  @ApiProblems(400, 404)
  getFilePeaks(@Param('id', uuidParam) id: string): Promise<FilePeaksDto> {
    return this.peaks.get(id);
  }
}
