output "cluster_id" {
  description = "Resource ID of the AKS cluster (scope for Azure RBAC role assignments)."
  value       = azurerm_kubernetes_cluster.this.id
}

output "cluster_name" {
  description = "Name of the AKS cluster."
  value       = azurerm_kubernetes_cluster.this.name
}

output "oidc_issuer_url" {
  description = "OIDC issuer URL of the cluster, for workload identity federated credentials."
  value       = azurerm_kubernetes_cluster.this.oidc_issuer_url
}

output "kubelet_identity_object_id" {
  description = "Object ID of the kubelet identity (granted AcrPull on the registry)."
  value       = azurerm_kubernetes_cluster.this.kubelet_identity[0].object_id
}

output "key_vault_secrets_provider_client_id" {
  description = "Client ID of the identity the Key Vault secrets provider add-on runs as."
  value       = azurerm_kubernetes_cluster.this.key_vault_secrets_provider[0].secret_identity[0].client_id
}

output "node_resource_group" {
  description = "Resource group AKS manages the nodes in."
  value       = azurerm_kubernetes_cluster.this.node_resource_group
}
