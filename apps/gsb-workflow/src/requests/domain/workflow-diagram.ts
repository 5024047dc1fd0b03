import { GUARDS, REQUEST_STATES, REQUEST_WORKFLOW, TERMINAL_STATES, type RequestState, type Transition } from './request-workflow.js';

const STATE_TITLES: Record<RequestState, string> = {
  DRAFT: 'پیش‌نویس درخواست (fill in: type, system, letter, service, contact)',
  SUBMITTED: 'ارسال به کارشناس — awaiting claim',
  IN_REVIEW: 'بررسی صلاحیت و اولویت — in review',
  RETURNED: 'بازگشت برای اصلاح — returned for correction',
  PENDING_SECOND_APPROVAL: 'تأیید دوم — pending second approval',
  APPROVED: 'تأیید شد — approved (grant issued)',
  REJECTED: 'رد شد — rejected',
  WITHDRAWN: 'انصراف — withdrawn',
};

function edgeLabel(x: Transition): string {
  const guards = x.guards.length > 0 ? ` [${x.guards.join(', ')}]` : '';
  return `${x.action} (${x.roles.join('|')})${guards}`;
}

/** Mermaid `stateDiagram-v2` source of the workflow table. */
export function workflowToMermaid(): string {
  const lines = ['stateDiagram-v2', '  [*] --> DRAFT: create (agency)'];
  for (const x of REQUEST_WORKFLOW) lines.push(`  ${x.from} --> ${x.to}: ${edgeLabel(x)}`);
  for (const s of TERMINAL_STATES) lines.push(`  ${s} --> [*]`);
  for (const s of REQUEST_STATES) lines.push(`  note right of ${s}: ${STATE_TITLES[s].replace(/[:;]/g, ' ')}`);
  lines.push('%% guards:');
  for (const [name, text] of Object.entries(GUARDS)) lines.push(`%%   ${name}: ${text}`);
  return `${lines.join('\n')}\n`;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * BPMN 2.0 XML of the workflow table: the start event, one user task per non-final state (the
 * lane of the role that acts there), one end event per final state, one sequence flow per
 * transition named "action (roles) [guards]", with a simple left-to-right diagram layout so
 * bpmn.io / Camunda Modeler draw it.
 */
export function workflowToBpmn(): string {
  const id = (s: RequestState) => `state_${s}`;
  const nodes: string[] = ['    <bpmn:startEvent id="start" name="applicant signs in (steps 1–3)" />'];
  for (const s of REQUEST_STATES) {
    const tag = TERMINAL_STATES.includes(s) ? 'endEvent' : 'userTask';
    nodes.push(`    <bpmn:${tag} id="${id(s)}" name="${esc(STATE_TITLES[s])}" />`);
  }
  const flows: string[] = ['    <bpmn:sequenceFlow id="flow_create" sourceRef="start" targetRef="state_DRAFT" name="create (agency)" />'];
  REQUEST_WORKFLOW.forEach((x, i) => {
    const cond = x.guards.length > 0 ? `\n      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${esc(x.guards.join(' && '))}</bpmn:conditionExpression>\n    ` : '';
    flows.push(`    <bpmn:sequenceFlow id="flow_${i}" sourceRef="${id(x.from)}" targetRef="${id(x.to)}" name="${esc(edgeLabel(x))}">${cond}</bpmn:sequenceFlow>`);
  });
  const column: Record<RequestState, [number, number]> = {
    DRAFT: [1, 1],
    SUBMITTED: [2, 1],
    IN_REVIEW: [3, 1],
    RETURNED: [2, 0],
    PENDING_SECOND_APPROVAL: [4, 0],
    APPROVED: [5, 1],
    REJECTED: [5, 2],
    WITHDRAWN: [3, 3],
  };
  const pos = (s: RequestState) => ({ x: 120 + column[s][0] * 200, y: 80 + column[s][1] * 140 });
  const shapes = [`      <bpmndi:BPMNShape id="start_di" bpmnElement="start"><dc:Bounds x="100" y="198" width="36" height="36" /></bpmndi:BPMNShape>`];
  for (const s of REQUEST_STATES) {
    const p = pos(s);
    const [w, h] = TERMINAL_STATES.includes(s) ? [36, 36] : [140, 80];
    shapes.push(`      <bpmndi:BPMNShape id="${id(s)}_di" bpmnElement="${id(s)}"><dc:Bounds x="${p.x}" y="${p.y}" width="${w}" height="${h}" /></bpmndi:BPMNShape>`);
  }
  const centre = (s: RequestState) => {
    const p = pos(s);
    return TERMINAL_STATES.includes(s) ? { x: p.x + 18, y: p.y + 18 } : { x: p.x + 70, y: p.y + 40 };
  };
  const edges = [`      <bpmndi:BPMNEdge id="flow_create_di" bpmnElement="flow_create"><di:waypoint x="136" y="216" /><di:waypoint x="${pos('DRAFT').x}" y="${centre('DRAFT').y}" /></bpmndi:BPMNEdge>`];
  REQUEST_WORKFLOW.forEach((x, i) => {
    const a = centre(x.from);
    const b = centre(x.to);
    edges.push(`      <bpmndi:BPMNEdge id="flow_${i}_di" bpmnElement="flow_${i}"><di:waypoint x="${a.x}" y="${a.y}" /><di:waypoint x="${b.x}" y="${b.y}" /></bpmndi:BPMNEdge>`);
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="gsb_request_definitions" targetNamespace="urn:darvazeh:gsb-workflow">
  <bpmn:process id="gsb_service_request" name="ثبت درخواست دریافت سرویس از مراکز تبادل اطلاعات (GSB/PGSB)" isExecutable="false">
${nodes.join('\n')}
${flows.join('\n')}
  </bpmn:process>
  <bpmndi:BPMNDiagram id="diagram">
    <bpmndi:BPMNPlane id="plane" bpmnElement="gsb_service_request">
${shapes.join('\n')}
${edges.join('\n')}
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
`;
}
