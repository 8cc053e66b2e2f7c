/** A GraphiQL tab as GraphiQL's `defaultTabs` takes it. */
export interface GraphiqlTab {
  readonly query: string;
  readonly variables?: string;
}

const CATALOG = `# Welcome to the eSIM gateway. Paste your API key in the
# field above, then press the run button (Ctrl-Enter).
# The book icon on the left opens the docs; Ctrl-Space
# completes fields. The next tab follows your wallet live.
query Catalog {
  plans(filter: { country: "FR" }, sort: PRICE_ASC, first: 5) {
    totalCount
    nodes {
      id
      name
      provider { name }
      data { bytes unlimited }
      validityDays
      price { amount currency }
    }
    unavailableProviders { provider { id } code message }
  }
  providers {
    id
    name
    health { status }
  }
}
`;

const WALLET_UPDATES = `# Live over graphql-ws, with the same key: start it, then
# move a wallet from another tab, e.g. as an admin:
#   mutation { creditWallet(input: {accountId: "<id>",
#     amount: "10", idempotencyKey: "try-1"})
#     { balance { amount } } }
# or place an order. Each balance change arrives here
# (admins see every account's).
subscription WalletUpdates {
  walletUpdated {
    id
    balance { amount currency }
    updatedAt
  }
}
`;

/** What a first visit opens: the catalog, then a subscription. Later visits keep their own tabs. */
export const DEFAULT_TABS: readonly GraphiqlTab[] = [{ query: CATALOG }, { query: WALLET_UPDATES }];

/** What a new tab starts with. */
export const NEW_TAB_QUERY = '# Write a query, mutation or subscription; Ctrl-Space completes.\n';
