// Alert rules over the app's event lines (one JSON object per trace, `{"event":…}`), with an
// action group that mails the MSP. Log search rules run against the Log Analytics workspace that
// Application Insights writes to (AppTraces, AppRequests), each with its own system identity
// allowed to read that workspace and nothing else.

param location string
param tags object
@description('Prefix of the rule names (the deployment\'s appName).')
param namePrefix string
param workspaceName string
param actionGroupName string
@description('Addresses the action group mails when an alert fires.')
param emailAddresses array
@description('Failed or partial runs within 15 minutes above which the run alert fires (0: any).')
param failedRunThreshold int

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' existing = {
  name: workspaceName
}

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: actionGroupName
  location: 'Global'
  tags: tags
  properties: {
    // Shown as the sender of alert mails; at most 12 characters.
    groupShortName: 'intents'
    enabled: true
    emailReceivers: [
      for (address, i) in emailAddresses: {
        name: 'msp-${i + 1}'
        emailAddress: address
        useCommonAlertSchema: true
      }
    ]
  }
}

// Every query reads the event lines the app writes (README: Monitoring); a test checks that each
// event and field named here is one the engine emits.
var rules = [
  {
    name: 'runs-failed'
    displayName: 'Intent runs failed or partial'
    description: 'A run ended failed or partial (the failure mail went to NOTIFICATION_EMAIL; this is the MSP-side signal). Query the run by runId in App Insights.'
    severity: 2
    frequency: 'PT15M'
    window: 'PT15M'
    threshold: failedRunThreshold
    query: '''
AppTraces
| where Message startswith '{"event":"result"'
| extend e = parse_json(Message)
| where tostring(e.status) in ("failed", "partial")
| project TimeGenerated, runId = tostring(e.runId), intentName = tostring(e.intentName), status = tostring(e.status), errorCode = tostring(e.errorCode)
'''
  }
  {
    name: 'poison-messages'
    displayName: 'Queue messages given up (poison)'
    description: 'A run continuation or a change notification failed on every delivery and was given up: the run ended RUN_ABANDONED, or the notification moved to graph-notifications-poison.'
    severity: 1
    frequency: 'PT5M'
    window: 'PT5M'
    threshold: 0
    query: '''
AppTraces
| where Message startswith '{"event":"poison"'
| extend e = parse_json(Message)
| project TimeGenerated, queue = tostring(e.queue), runId = tostring(e.runId), dequeueCount = toint(e.dequeueCount), code = tostring(e.code)
'''
  }
  {
    name: 'graph-auth'
    displayName: 'Microsoft Graph authentication failures'
    description: 'The app could not get a Graph token (GRAPH_AUTH), or Graph refused its token (401): check the managed identity, the granted permissions and, for an app registration, its credential.'
    severity: 1
    frequency: 'PT5M'
    window: 'PT5M'
    threshold: 0
    query: '''
AppTraces
| where Message startswith '{"event":' and (Message has "GRAPH_AUTH" or Message startswith '{"event":"graph.request"')
| extend e = parse_json(Message)
| where tostring(e.code) == "GRAPH_AUTH" or tostring(e.errorCode) == "GRAPH_AUTH" or tostring(e.error) == "GRAPH_AUTH"
    or (tostring(e.event) == "graph.request" and toint(e.status) == 401)
| project TimeGenerated, event = tostring(e.event), runId = tostring(e.runId), path = tostring(e.path)
'''
  }
  {
    name: 'subscriptions-failed'
    displayName: 'Graph subscription upkeep failed'
    description: 'The renewSubscriptions timer failed, or could not create, renew or remove a change-notification subscription: event-triggered intents may stop until it succeeds.'
    severity: 2
    frequency: 'PT1H'
    window: 'PT1H'
    threshold: 0
    query: '''
AppTraces
| where Message startswith '{"event":"subscriptions_reconciled"' or Message startswith '{"event":"subscriptions_failed"'
| extend e = parse_json(Message)
| where tostring(e.event) == "subscriptions_failed" or array_length(e.failed) > 0
| project TimeGenerated, event = tostring(e.event), failed = tostring(e.failed), code = tostring(e.code)
| union (AppRequests | where Name == "renewSubscriptions" and Success == false | project TimeGenerated, event = "timer failed")
'''
  }
]

resource alertRules 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = [
  for rule in rules: {
    name: '${namePrefix}-${rule.name}'
    location: location
    tags: tags
    kind: 'LogAlert'
    identity: { type: 'SystemAssigned' }
    properties: {
      displayName: rule.displayName
      description: rule.description
      severity: rule.severity
      enabled: true
      scopes: [workspace.id]
      evaluationFrequency: rule.frequency
      windowSize: rule.window
      criteria: {
        allOf: [
          {
            query: rule.query
            timeAggregation: 'Count'
            operator: 'GreaterThan'
            threshold: rule.threshold
            failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 }
          }
        ]
      }
      autoMitigate: true
      actions: { actionGroups: [actionGroup.id] }
    }
  }
]

// Log Analytics Reader on the one workspace: what a rule's identity needs to run its query.
var logAnalyticsReader = '73c42c96-874c-492b-b04d-ab87d138a893'

resource ruleReaders 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (rule, i) in rules: {
    scope: workspace
    name: guid(workspace.id, rule.name, logAnalyticsReader)
    properties: {
      principalId: alertRules[i].identity.principalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', logAnalyticsReader)
    }
  }
]

output actionGroupName string = actionGroup.name
output alertRuleNames array = [for (rule, i) in rules: alertRules[i].name]
