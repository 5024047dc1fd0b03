import { Controller, Get, Header } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@darvazeh/auth';
import { GUARDS, REQUEST_STATES, REQUEST_WORKFLOW } from '../../requests/domain/request-workflow.js';
import { workflowToBpmn, workflowToMermaid } from '../../requests/domain/workflow-diagram.js';

/** The process as the code runs it: the workflow table, as JSON, BPMN 2.0 XML and Mermaid. */
@ApiTags('workflow')
@Controller('workflow')
@Public()
export class WorkflowController {
  @ApiOperation({ summary: 'The workflow table as JSON (states, transitions, roles, guards)' })
  @Get()
  table() {
    return { states: REQUEST_STATES, guards: GUARDS, transitions: REQUEST_WORKFLOW };
  }

  @ApiOperation({ summary: 'The workflow as BPMN 2.0 XML' })
  @Get('bpmn')
  @Header('content-type', 'application/bpmn+xml; charset=utf-8')
  bpmn(): string {
    return workflowToBpmn();
  }

  @ApiOperation({ summary: 'The workflow as a Mermaid state diagram' })
  @Get('mermaid')
  @Header('content-type', 'text/vnd.mermaid; charset=utf-8')
  mermaid(): string {
    return workflowToMermaid();
  }
}
