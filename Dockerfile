FROM node:20-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts
COPY src ./src
COPY schema ./schema
COPY tsconfig.json ./
USER node
EXPOSE 4000
CMD ["node", "--import", "tsx", "src/main.ts"]
