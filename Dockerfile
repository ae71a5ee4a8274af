# tradeproof GraphQL API and web console. Runs TypeScript through tsx (a runtime dependency); the
# one build step is the console's (web/dist), done here so that the start finds it current.
FROM node:20-bookworm-slim

WORKDIR /app

COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

COPY tsconfig.json ./
COPY services ./services
COPY schema ./schema
COPY graphql ./graphql
COPY scripts ./scripts
COPY web ./web
RUN npm run build:web

# Sources stay root-owned (read-only to the app); only the data folder is writable by `node`.
RUN mkdir -p /app/.data && chown node:node /app/.data

ENV NODE_ENV=production HOST=0.0.0.0 PORT=4000

USER node

EXPOSE 4000

CMD ["npm", "start"]
