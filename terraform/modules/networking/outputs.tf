output "virtual_network_id" {
  description = "ID of the virtual network."
  value       = azurerm_virtual_network.this.id
}

output "aks_nodes_subnet_id" {
  description = "ID of the AKS node subnet (NSG attached)."
  value       = azurerm_subnet_network_security_group_association.aks_nodes.subnet_id
}

output "postgresql_subnet_id" {
  description = "ID of the subnet delegated to PostgreSQL Flexible Server (NSG attached)."
  value       = azurerm_subnet_network_security_group_association.postgresql.subnet_id
}

output "postgresql_private_dns_zone_id" {
  description = "ID of the private DNS zone for PostgreSQL, available once it is linked to the VNet."
  value       = azurerm_private_dns_zone.postgresql.id
  # The server must not be created before its zone resolves inside the VNet.
  depends_on = [azurerm_private_dns_zone_virtual_network_link.postgresql]
}

output "private_endpoints_subnet_id" {
  description = "ID of the subnet for private endpoints (NSG attached)."
  value       = azurerm_subnet_network_security_group_association.private_endpoints.subnet_id
}

output "key_vault_private_dns_zone_id" {
  description = "ID of the privatelink.vaultcore.azure.net private DNS zone, available once it is linked to the VNet."
  value       = azurerm_private_dns_zone.key_vault.id
  # An endpoint registered before the link would resolve nowhere inside the VNet until the link exists.
  depends_on = [azurerm_private_dns_zone_virtual_network_link.key_vault]
}
