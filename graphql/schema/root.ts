import { builder } from '../builder.js';

builder.queryType({ description: 'Every query needs a bearer token of any role.' });
builder.mutationType({ description: 'Notebook and run mutations need the launcher role; token mutations need admin.' });
builder.subscriptionType({ description: 'Live updates over server-sent events.' });
