# Network for the estate: a VNet, the AKS node subnet, a subnet delegated to PostgreSQL Flexible Server, a
# subnet for private endpoints (Key Vault), NSGs on all three, and the private DNS zones the database and the
# vault resolve in, linked to the VNet.

locals {
  suffix = "${var.project}-${var.environment}"
  tags   = merge(var.tags, { module = "networking", environment = var.environment })
}

resource "azurerm_virtual_network" "this" {
  name                = "vnet-${local.suffix}"
  location            = var.location
  resource_group_name = var.resource_group_name
  address_space       = var.address_space
  tags                = local.tags
}

# Azure CNI gives pods addresses from this subnet: size it for max_pods x max nodes.
resource "azurerm_subnet" "aks_nodes" {
  name                 = "snet-aks-${local.suffix}"
  resource_group_name  = var.resource_group_name
  virtual_network_name = azurerm_virtual_network.this.name
  address_prefixes     = [var.aks_nodes_subnet_cidr]
}

# PostgreSQL Flexible Server with private access needs a subnet delegated to it alone.
resource "azurerm_subnet" "postgresql" {
  name                 = "snet-psql-${local.suffix}"
  resource_group_name  = var.resource_group_name
  virtual_network_name = azurerm_virtual_network.this.name
  address_prefixes     = [var.postgresql_subnet_cidr]

  delegation {
    name = "postgresql-flexible-server"

    service_delegation {
      name    = "Microsoft.DBforPostgreSQL/flexibleServers"
      actions = ["Microsoft.Network/virtualNetworks/subnets/join/action"]
    }
  }
}

# Private endpoints (the Key Vault's) take their addresses here. Network policies on, so the NSG below
# applies to the endpoints' traffic too (Azure leaves it off by default for private endpoints).
resource "azurerm_subnet" "private_endpoints" {
  name                              = "snet-pe-${local.suffix}"
  resource_group_name               = var.resource_group_name
  virtual_network_name              = azurerm_virtual_network.this.name
  address_prefixes                  = [var.private_endpoints_subnet_cidr]
  private_endpoint_network_policies = "Enabled"
}

resource "azurerm_network_security_group" "aks_nodes" {
  name                = "nsg-aks-${local.suffix}"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags                = local.tags

  # The ingress controller's public load balancer forwards client traffic to the nodes. Azure's load
  # balancer keeps the frontend's public IP as the packet's destination (floating IP), so a rule whose
  # destination is the node subnet never matches and DenyAllInBound drops HTTPS and Let's Encrypt's HTTP-01
  # challenge. The destination is "*" (as AKS's own node NSG rules name the frontend IP, which changes with
  # the ingress Service): only 80/443 are opened, and only a LoadBalancer Service exposes anything.
  # https://learn.microsoft.com/azure/aks/concepts-network#network-security-groups
  security_rule {
    name                       = "allow-https-http-inbound"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_address_prefix      = "Internet"
    source_port_range          = "*"
    destination_address_prefix = "*"
    destination_port_ranges    = ["80", "443"]
  }
}

resource "azurerm_network_security_group" "postgresql" {
  name                = "nsg-psql-${local.suffix}"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags                = local.tags

  security_rule {
    name                       = "allow-postgresql-from-aks"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_address_prefix      = var.aks_nodes_subnet_cidr
    source_port_range          = "*"
    destination_address_prefix = var.postgresql_subnet_cidr
    destination_port_range     = "5432"
  }

  # High availability replicates between the primary and the standby inside this subnet.
  security_rule {
    name                       = "allow-within-postgresql-subnet"
    priority                   = 110
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "*"
    source_address_prefix      = var.postgresql_subnet_cidr
    source_port_range          = "*"
    destination_address_prefix = var.postgresql_subnet_cidr
    destination_port_range     = "*"
  }

  security_rule {
    name                       = "deny-postgresql-from-elsewhere"
    priority                   = 4000
    direction                  = "Inbound"
    access                     = "Deny"
    protocol                   = "Tcp"
    source_address_prefix      = "*"
    source_port_range          = "*"
    destination_address_prefix = var.postgresql_subnet_cidr
    destination_port_range     = "5432"
  }
}

# Only the cluster (the pods, and the Key Vault secrets provider on the nodes) reaches the endpoints, on HTTPS.
resource "azurerm_network_security_group" "private_endpoints" {
  name                = "nsg-pe-${local.suffix}"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags                = local.tags

  security_rule {
    name                       = "allow-https-from-aks"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_address_prefix      = var.aks_nodes_subnet_cidr
    source_port_range          = "*"
    destination_address_prefix = var.private_endpoints_subnet_cidr
    destination_port_range     = "443"
  }

  security_rule {
    name                       = "deny-from-elsewhere"
    priority                   = 4000
    direction                  = "Inbound"
    access                     = "Deny"
    protocol                   = "*"
    source_address_prefix      = "*"
    source_port_range          = "*"
    destination_address_prefix = var.private_endpoints_subnet_cidr
    destination_port_range     = "*"
  }
}

resource "azurerm_subnet_network_security_group_association" "aks_nodes" {
  subnet_id                 = azurerm_subnet.aks_nodes.id
  network_security_group_id = azurerm_network_security_group.aks_nodes.id
}

resource "azurerm_subnet_network_security_group_association" "postgresql" {
  subnet_id                 = azurerm_subnet.postgresql.id
  network_security_group_id = azurerm_network_security_group.postgresql.id
}

# The server's private address is published in this zone; the VNet link lets pods resolve it.
resource "azurerm_private_dns_zone" "postgresql" {
  name                = "${local.suffix}.private.postgres.database.azure.com"
  resource_group_name = var.resource_group_name
  tags                = local.tags
}

resource "azurerm_private_dns_zone_virtual_network_link" "postgresql" {
  name                  = "link-psql-${local.suffix}"
  resource_group_name   = var.resource_group_name
  private_dns_zone_name = azurerm_private_dns_zone.postgresql.name
  virtual_network_id    = azurerm_virtual_network.this.id
  registration_enabled  = false
  tags                  = local.tags
}

resource "azurerm_subnet_network_security_group_association" "private_endpoints" {
  subnet_id                 = azurerm_subnet.private_endpoints.id
  network_security_group_id = azurerm_network_security_group.private_endpoints.id
}

# The Key Vault's private endpoint publishes its address here; linked to the VNet, the vault's name resolves
# to that private address from the pods and the nodes (the secrets provider), and to the public one elsewhere.
resource "azurerm_private_dns_zone" "key_vault" {
  name                = "privatelink.vaultcore.azure.net"
  resource_group_name = var.resource_group_name
  tags                = local.tags
}

resource "azurerm_private_dns_zone_virtual_network_link" "key_vault" {
  name                  = "link-kv-${local.suffix}"
  resource_group_name   = var.resource_group_name
  private_dns_zone_name = azurerm_private_dns_zone.key_vault.name
  virtual_network_id    = azurerm_virtual_network.this.id
  registration_enabled  = false
  tags                  = local.tags
}
