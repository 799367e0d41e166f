/**
 * The vendor of a Bedrock model id, for what Converse leaves to each model: the fields of
 * `additionalModelRequestFields`, and whether the aws-bedrock channel defaults to InvokeModel.
 */

/**
 * `anthropic.claude-…` → `anthropic`; cross-region inference profiles put a geography first
 * (`us.amazon.nova-pro-v1:0`, `global.anthropic.…`); ARNs carry the id after their last `/`.
 * Ids without a vendor segment (application inference profiles, provisioned throughput) give ''.
 */
export function bedrockModelVendor(modelId: string): string {
  const id = modelId.slice(modelId.lastIndexOf('/') + 1).toLowerCase();
  const segments = id.split('.');
  if (segments.length < 2) return '';
  return (segments.length >= 3 ? segments[1] : segments[0]) ?? '';
}

export function isAnthropicModelId(modelId: string): boolean {
  return bedrockModelVendor(modelId) === 'anthropic';
}
