import { Controller, Get, Header } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '@darvazeh/auth';
import { GUARDS, REQUEST_STATES, REQUEST_WORKFLOW } from '../../requests/domain/request-workflow.js';
import { workflowToBpmn, workflowToMermaid } from '../../requests/domain/workflow-diagram.js';

/** The process as the code runs it: the workflow table, as JSON, BPMN 2.0 XML and Mermaid. */
@ApiTags('workflow')
@Controller('workflow')
@Public()
export class WorkflowController {
  @Get()
  table() {
    return { states: REQUEST_STATES, guards: GUARDS, transitions: REQUEST_WORKFLOW };
  }

  @Get('bpmn')
  @Header('content-type', 'application/bpmn+xml; charset=utf-8')
  bpmn(): string {
    return workflowToBpmn();
  }

  @Get('mermaid')
  @Header('content-type', 'text/vnd.mermaid; charset=utf-8')
  mermaid(): string {
    return workflowToMermaid();
  }
}
